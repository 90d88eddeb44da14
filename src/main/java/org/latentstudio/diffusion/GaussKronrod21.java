package org.latentstudio.diffusion;

import java.util.function.DoubleUnaryOperator;

/**
 * QUADPACK's 21-point Gauss–Kronrod rule ({@code dqk21}), the first (and for polynomials of degree up to 31 the
 * only) rule {@code scipy.integrate.quad} applies; same nodes, weights and summation order.
 */
final class GaussKronrod21 {
  private static final double[] XGK = {
    0.995657163025808080735527280689003,
    0.973906528517171720077964012084452,
    0.930157491355708226001207180059508,
    0.865063366688984510732096688423493,
    0.780817726586416897063717578345042,
    0.679409568299024406234327365114874,
    0.562757134668604683339000099272694,
    0.433395394129247190799265943165784,
    0.294392862701460198131126603103866,
    0.148874338981631210884826001129720,
    0.000000000000000000000000000000000,
  };
  private static final double[] WGK = {
    0.011694638867371874278064396062192,
    0.032558162307964727478818972459390,
    0.054755896574351996031381300244580,
    0.075039674810919952767043140916190,
    0.093125454583697605535065465083366,
    0.109387158802297641899210590325805,
    0.123491976262065851077958109831074,
    0.134709217311473325928054001771707,
    0.142775938577060080797094273138717,
    0.147739104901338491374841515972068,
    0.149445554002916905664936468389821,
  };

  private GaussKronrod21() {}

  /** The 21-point Kronrod estimate of the integral of {@code f} from {@code a} to {@code b}. */
  static double integrate(DoubleUnaryOperator f, double a, double b) {
    double centr = 0.5 * (a + b);
    double hlgth = 0.5 * (b - a);
    double resk = WGK[10] * f.applyAsDouble(centr);
    // Fortran j = 1..5: jtw = 2j (the Gauss nodes), then jtwm1 = 2j - 1; 0-based here
    for (int j = 1; j <= 5; j++) {
      int jtw = 2 * j - 1;
      double absc = hlgth * XGK[jtw];
      double fsum = f.applyAsDouble(centr - absc) + f.applyAsDouble(centr + absc);
      resk = resk + WGK[jtw] * fsum;
    }
    for (int j = 1; j <= 5; j++) {
      int jtwm1 = 2 * j - 2;
      double absc = hlgth * XGK[jtwm1];
      double fsum = f.applyAsDouble(centr - absc) + f.applyAsDouble(centr + absc);
      resk = resk + WGK[jtwm1] * fsum;
    }
    return resk * hlgth;
  }
}
