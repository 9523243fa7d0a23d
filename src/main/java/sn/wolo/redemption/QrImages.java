package sn.wolo.redemption;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** QR code images of a gift's redeem token: error correction M (readable with 15 % of the code damaged), a 4-module quiet zone. */
final class QrImages {

  private static final int MODULE_PIXELS = 8;

  private QrImages() {
  }

  static byte[] png(String content) {
    BitMatrix m = matrix(content);
    BufferedImage img = new BufferedImage(m.getWidth() * MODULE_PIXELS, m.getHeight() * MODULE_PIXELS, BufferedImage.TYPE_BYTE_BINARY);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        img.setRGB(x, y, m.get(x / MODULE_PIXELS, y / MODULE_PIXELS) ? 0x000000 : 0xFFFFFF);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);   // in memory: cannot happen
    }
    return out.toByteArray();
  }

  /** One path of unit squares, scalable without blur. */
  static String svg(String content) {
    BitMatrix m = matrix(content);
    StringBuilder path = new StringBuilder();
    for (int y = 0; y < m.getHeight(); y++) {
      for (int x = 0; x < m.getWidth(); x++) {
        if (m.get(x, y)) path.append('M').append(x).append(' ').append(y).append("h1v1h-1z");
      }
    }
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + m.getWidth() + " " + m.getHeight()
        + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\""
        + path + "\"/></svg>";
  }

  private static BitMatrix matrix(String content) {
    try {
      return new QRCodeWriter().encode(content, BarcodeFormat.QR_CODE, 0, 0,
          Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 4));
    } catch (WriterException e) {
      throw new IllegalStateException("a token always fits a QR code", e);
    }
  }
}
